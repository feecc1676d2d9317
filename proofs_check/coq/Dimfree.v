(** ll:thm-dimfree, finite form: the dimension-free barrier bound.

    Endpoints A = (W_A, θ_A), B = (W_B, θ_B) with F ≤ λ ≤ λ̄, rows in the ball, and a
    given width-l reference (W_r, θ_r) whose F stands for e(l) (no attainment needed);
    q = m − l ≥ 1. At each end, ll:sampling's best draw of q atoms ([sparse_end]; the end
    itself when θ = 0) is q-sparse on the end's own rows, and by ll:l1-control
    (‖θ‖₁ ≤ (λ̄ − R̲)/κ) its F is at most λ + ε with ε = L D_X (λ̄ − R̲)/(κ√q)
    (Lipschitz loss; GoodDraw.v), or ε = (H/2)(D_X λ̄/(κ√q))² (ℒ' H-Lipschitz, via the
    descent inequality; ℒ ≥ 0 so R̲ = 0; SamplingHolder.v). ll:zero-radius's path (ZeroRadius.v) through
    these two sparse points then has F ≤ max(λ + ε, e(l)) at every point, i.e.
    F − λ ≤ max(0, ε, e(l) − λ): the registered bound on 𝔟_m(λ), with no dependence on
    the input dimension d. *)
Require Import Reals Lra Lia List.
Require Import RL.Sums RL.Model RL.Statements RL.Sampling RL.Variance RL.GoodDraw.
Require Import RL.Paths RL.ZeroRadius RL.SamplingHolder.
Open Scope R_scope.

(** The sparse point of one end: the best draw of q atoms, or the end itself if θ = 0. *)
Definition sparse_end (N d m q : nat) (X : nat -> nat -> R) (Y : nat -> R)
  (ell : R -> R -> R) (kappa : R) (W : nat -> nat -> R) (th : nat -> R) : nat -> R :=
  if Rlt_dec 0 (l1 m th) then maurey m q th (good_draw N d m q X Y ell kappa W th) else th.

Lemma l1_zero_coords m th : ~ 0 < l1 m th -> forall i, (i < m)%nat -> th i = 0.
Proof.
  intros H. pose proof (l1_nonneg m th) as H0.
  assert (Hz : l1 m th = 0) by lra. clear H H0.
  induction m as [|m IH]; intros i Hi; [lia|].
  unfold l1 in Hz. simpl in Hz.
  assert (H1 : 0 <= sum m (fun i => Rabs (th i))) by (apply sum_nonneg; intros; apply Rabs_pos).
  pose proof (Rabs_pos (th m)).
  destruct (Nat.eq_dec i m) as [->|Hne].
  - destruct (Req_EM_T (th m) 0) as [E|E]; [exact E|].
    pose proof (Rabs_pos_lt _ E). lra.
  - apply IH; [unfold l1; lra|lia].
Qed.

Lemma l0_zero m th : (forall i, (i < m)%nat -> th i = 0) -> l0 m th = 0.
Proof.
  intros H. unfold l0. rewrite (sum_ext _ _ (fun _ => 0)); [apply sum_zero|].
  intros i Hi. rewrite (H i Hi). destruct (Req_EM_T 0 0); [reflexivity|contradiction].
Qed.

(** The sparse end is q-sparse. *)
Lemma sparse_end_l0 N d m q X Y ell kappa W th :
  (0 < q)%nat -> l0 m (sparse_end N d m q X Y ell kappa W th) <= INR q.
Proof.
  intros Hq. unfold sparse_end. destruct (Rlt_dec 0 (l1 m th)) as [Ha|Ha].
  - destruct (l1_pos_exists m th Ha) as [i0 [Hi0 Ei0]].
    destruct (best_outcome q m (supp th) (fun J => Fobj N d m X Y ell kappa W (maurey m q th J))
                i0 Hi0) as [HLb HIb].
    { unfold supp. destruct (Req_EM_T (th i0) 0); [contradiction|reflexivity]. }
    destruct (sampling m q th (good_draw N d m q X Y ell kappa W th) i0 Ha HLb) as [_ [H0 _]];
      [|exact Hi0|exact Hq|exact H0].
    intros i Hi. destruct (HIb i Hi) as [Hm Si]. split; [exact Hm|].
    unfold supp in Si. destruct (Req_EM_T (th i) 0); [discriminate|assumption].
  - rewrite l0_zero by (apply l1_zero_coords, Ha). apply pos_INR.
Qed.

(** The good draw is an outcome of positive probability (so ll:sampling applies to it). *)
Lemma good_draw_outcome N d m q X Y ell kappa W th :
  0 < l1 m th ->
  length (good_draw N d m q X Y ell kappa W th) = q /\
  forall i, In i (good_draw N d m q X Y ell kappa W th) -> (i < m)%nat /\ th i <> 0.
Proof.
  intros Ha. destruct (l1_pos_exists m th Ha) as [i0 [Hi0 Ei0]].
  destruct (best_outcome q m (supp th) (fun J => Fobj N d m X Y ell kappa W (maurey m q th J))
              i0 Hi0) as [HLb HIb].
  { unfold supp. destruct (Req_EM_T (th i0) 0); [contradiction|reflexivity]. }
  split; [exact HLb|]. intros i Hi. destruct (HIb i Hi) as [Hm Si]. split; [exact Hm|].
  unfold supp in Si. destruct (Req_EM_T (th i) 0); [discriminate|assumption].
Qed.

(** Lipschitz loss: F at the sparse end ≤ λ + L D_X (λ̄ − R̲)/(κ√q). *)
Lemma sparse_end_F N d m q X Y ell L DX kappa Rlow lam lamb W th :
  lipschitz_loss ell L -> data_scale N d X DX -> in_ball d m W -> 0 < kappa ->
  (0 < q)%nat -> risk N d m X Y ell W th >= Rlow ->
  Fobj N d m X Y ell kappa W th <= lam -> lam <= lamb ->
  Fobj N d m X Y ell kappa W (sparse_end N d m q X Y ell kappa W th)
  <= lam + DX * L * (lamb - Rlow) / (kappa * sqrt (INR q)).
Proof.
  intros HL HX HW Hk Hq HR HF Hl.
  pose proof (lipschitz_nonneg ell L HL) as HL0. pose proof (proj1 HX) as HD.
  assert (Hs : 0 < sqrt (INR q)) by (apply sqrt_lt_R0, lt_0_INR, Hq).
  assert (Ha : l1 m th <= (lamb - Rlow) / kappa).
  { apply (l1_control N d m X Y ell kappa lamb Rlow W th Hk); [lra|unfold Fobj; ring|exact HR]. }
  assert (Hab : 0 <= (lamb - Rlow) / kappa) by (pose proof (l1_nonneg m th); lra).
  assert (Heps : 0 <= DX * L * (lamb - Rlow) / (kappa * sqrt (INR q))).
  { replace (DX * L * (lamb - Rlow) / (kappa * sqrt (INR q)))
      with (DX * L * ((lamb - Rlow) / kappa) / sqrt (INR q)) by (field; lra).
    unfold Rdiv at 1. apply Rmult_le_pos; [|left; apply Rinv_0_lt_compat, Hs].
    apply Rmult_le_pos; [apply Rmult_le_pos|]; assumption. }
  unfold sparse_end. destruct (Rlt_dec 0 (l1 m th)) as [Hpos|Hpos]; [|lra].
  (* ll:sampling's registered theorem (sampling_all) at the good draw itself *)
  destruct (good_draw_outcome N d m q X Y ell kappa W th Hpos) as [HLg HIg].
  destruct (l1_pos_exists m th Hpos) as [i0 [Hi0 _]].
  destruct (sampling_all N d m X Y ell L DX kappa q W th
              (good_draw N d m q X Y ell kappa W th) i0 HL HX HW Hpos HLg HIg Hi0 Hq)
    as [[Hg _] _].
  eapply Rle_trans; [exact Hg|].
  replace (DX * L * (lamb - Rlow) / (kappa * sqrt (INR q)))
    with (DX * L * ((lamb - Rlow) / kappa) / sqrt (INR q)) by (field; lra).
  assert (DX * L * l1 m th / sqrt (INR q) <= DX * L * ((lamb - Rlow) / kappa) / sqrt (INR q)).
  { unfold Rdiv. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat, Hs|].
    apply Rmult_le_compat_l; [apply Rmult_le_pos; assumption|]. exact Ha. }
  lra.
Qed.

(** Hölder α = 1 (ℒ' H-Lipschitz) and ℒ ≥ 0: F at the sparse end ≤ λ + (H/2)(D_X λ̄/(κ√q))². *)
Definition nonneg_loss (ell : R -> R -> R) : Prop := forall y u, 0 <= ell y u.

Lemma risk_nonneg N d m X Y ell W th : nonneg_loss ell -> 0 <= risk N d m X Y ell W th.
Proof. intros H. unfold risk. apply mean_nonneg. intros; apply H. Qed.

Lemma sparse_end_F_holder N d m q X Y ell dell H DX kappa lam lamb W th :
  holder1_loss ell dell H -> nonneg_loss ell -> data_scale N d X DX -> in_ball d m W ->
  0 < kappa -> (0 < q)%nat ->
  Fobj N d m X Y ell kappa W th <= lam -> lam <= lamb ->
  Fobj N d m X Y ell kappa W (sparse_end N d m q X Y ell kappa W th)
  <= lam + H / 2 * (DX ^ 2 * (lamb / kappa) ^ 2 / INR q).
Proof.
  intros HD Hn HX HW Hk Hq HF Hl.
  pose proof (proj1 (holder1_descent ell dell H HD)) as HH.
  assert (HqR : 0 < INR q) by (apply lt_0_INR, Hq).
  pose proof (risk_nonneg N d m X Y ell W th Hn) as HR0.
  assert (Ha : l1 m th <= lamb / kappa).
  { replace (lamb / kappa) with ((lamb - 0) / kappa) by (field; lra).
    apply (l1_control N d m X Y ell kappa lamb 0 W th Hk); [lra|unfold Fobj; ring|lra]. }
  pose proof (l1_nonneg m th) as Ha0.
  assert (Ha2 : l1 m th ^ 2 <= (lamb / kappa) ^ 2) by (apply pow_incr; lra).
  assert (Hterm : DX ^ 2 * l1 m th ^ 2 / INR q <= DX ^ 2 * (lamb / kappa) ^ 2 / INR q).
  { unfold Rdiv. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat, HqR|].
    apply Rmult_le_compat_l; [apply pow2_ge_0|exact Ha2]. }
  assert (H0 : 0 <= H / 2 * (DX ^ 2 * l1 m th ^ 2 / INR q)).
  { apply Rmult_le_pos; [lra|]. unfold Rdiv. apply Rmult_le_pos;
      [apply Rmult_le_pos; apply pow2_ge_0|left; apply Rinv_0_lt_compat, HqR]. }
  assert (H / 2 * (DX ^ 2 * l1 m th ^ 2 / INR q) <= H / 2 * (DX ^ 2 * (lamb / kappa) ^ 2 / INR q))
    by (apply Rmult_le_compat_l; lra).
  unfold sparse_end. destruct (Rlt_dec 0 (l1 m th)) as [Hpos|Hpos]; [|lra].
  (* ll:sampling's registered Hölder theorem (sampling_holder) at the good draw itself *)
  destruct (good_draw_outcome N d m q X Y ell kappa W th Hpos) as [HLg HIg].
  destruct (l1_pos_exists m th Hpos) as [i0 [Hi0 _]].
  destruct (sampling_holder N d m X Y ell H DX kappa dell q W th
              (good_draw N d m q X Y ell kappa W th) i0 HX HW Hpos HLg HIg Hi0 Hq)
    as [_ [_ [Hg _]]].
  eapply Rle_trans; [apply Hg, HD|].
  replace (DX ^ 2 * l1 m th ^ 2 * H / (2 * INR q)) with (H / 2 * (DX ^ 2 * l1 m th ^ 2 / INR q))
    by (field; lra).
  lra.
Qed.

(* ------------------------------------------------------------------ the path *)

(** ll:zero-radius's path through the two sparse ends. *)
Definition dimfree_path (N d m q l : nat) (X : nat -> nat -> R) (Y : nat -> R)
  (ell : R -> R -> R) (kappa : R) (WA : nat -> nat -> R) (thA : nat -> R)
  (WB : nat -> nat -> R) (thB : nat -> R) (Wr : nat -> nat -> R) (thr : nat -> R)
  : list param :=
  zr_path m l WA WB Wr (sparse_end N d m q X Y ell kappa WA thA)
    (sparse_end N d m q X Y ell kappa WB thB) thB thr.

Lemma Rmax_excess3 x el e lam : x <= Rmax el (e + lam) -> x - lam <= Rmax (Rmax e (el - lam)) 0.
Proof. unfold Rmax. repeat destruct Rle_dec; lra. Qed.

Lemma Rmax_excess2 x el e lam : x <= Rmax el (e + lam) -> x - lam <= Rmax e (el - lam).
Proof. unfold Rmax. repeat destruct Rle_dec; lra. Qed.

(** The kernel-checked form of ll:thm-dimfree (Lipschitz loss). *)
Lemma dimfree :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (L DX kappa lam lamb Rlow : R) (q l : nat) (WA WB Wr : nat -> nat -> R) (thA thB thr : nat -> R) (k : nat) (t : R),
    lipschitz_loss ell L ->
    convex_loss ell ->
    data_scale N d X DX ->
    0 < kappa ->
    in_ball d m WA ->
    in_ball d m WB ->
    risk N d m X Y ell WA thA >= Rlow ->
    risk N d m X Y ell WB thB >= Rlow ->
    in_ball d l Wr ->
    (0 < q)%nat ->
    (k < length (dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr))%nat ->
    0 <= t <= 1 ->
    Fobj N d m X Y ell kappa WA thA <= lam ->
    Fobj N d m X Y ell kappa WB thB <= lam ->
    INR q = INR m - INR l ->
    lam <= lamb ->
    Fp N d m X Y ell kappa (path_pt (WA, thA) (dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr) k t) - lam <= Rmax (Rmax ((lamb - Rlow) * DX * L / ((sqrt (INR q)) * kappa)) (Fobj N d l X Y ell kappa Wr thr - lam)) 0 /\ (last (dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr) (WA, thA) = (WB, thB)) /\ (along (ball_pt d m) (WA, thA) (dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr)).
Proof.
  intros N d m X Y ell L DX kappa lam lamb Rlow q l WA WB Wr thA thB thr k t
         HL HC HX Hk HA HB HRA HRB Hr Hq Hlen Ht HFA HFB Hql Hlb.
  pose proof (lipschitz_nonneg ell L HL) as HL0. pose proof (proj1 HX) as HD.
  assert (Hs : 0 < sqrt (INR q)) by (apply sqrt_lt_R0, lt_0_INR, Hq).
  set (eps := DX * L * (lamb - Rlow) / (kappa * sqrt (INR q))).
  assert (Hlr : 0 <= lamb - Rlow).
  { pose proof (l1_nonneg m thA). unfold Fobj in HFA. nra. }
  assert (He : 0 <= eps).
  { unfold eps, Rdiv. apply Rmult_le_pos; [apply Rmult_le_pos; [apply Rmult_le_pos|]; assumption|].
    left. apply Rinv_0_lt_compat, Rmult_lt_0_compat; assumption. }
  pose proof (sparse_end_F N d m q X Y ell L DX kappa Rlow lam lamb WA thA HL HX HA Hk Hq HRA HFA Hlb)
    as HdA.
  pose proof (sparse_end_F N d m q X Y ell L DX kappa Rlow lam lamb WB thB HL HX HB Hk Hq HRB HFB Hlb)
    as HdB.
  fold eps in HdA, HdB.
  destruct (zero_radius N d m X Y ell kappa lam eps q l WA WB Wr thA thB
              (sparse_end N d m q X Y ell kappa WA thA) (sparse_end N d m q X Y ell kappa WB thB)
              thr k t HC Hk He (sparse_end_l0 N d m q X Y ell kappa WA thA Hq)
              (sparse_end_l0 N d m q X Y ell kappa WB thB Hq) HA HB Hr Hlen Ht HFA HFB Hql)
    as [Hpt [Hlast Hball]]; [lra|lra|].
  split; [|split; assumption].
  replace ((lamb - Rlow) * DX * L / ((sqrt (INR q)) * kappa)) with eps by (unfold eps; field; lra).
  apply Rmax_excess3. exact Hpt.
Qed.

(** The kernel-checked form of ll:thm-dimfree's Hölder clause at α = 1. *)
Lemma dimfree_holder :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (H DX kappa lam lamb : R) (dell : R -> R -> R) (q l : nat) (WA WB Wr : nat -> nat -> R) (thA thB thr : nat -> R) (k : nat) (t : R),
    convex_loss ell ->
    data_scale N d X DX ->
    0 < kappa ->
    in_ball d m WA ->
    in_ball d m WB ->
    in_ball d l Wr ->
    (0 < q)%nat ->
    (k < length (dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr))%nat ->
    0 <= t <= 1 ->
    Fobj N d m X Y ell kappa WA thA <= lam ->
    Fobj N d m X Y ell kappa WB thB <= lam ->
    INR q = INR m - INR l ->
    lam <= lamb ->
    (holder1_loss ell dell H /\ nonneg_loss ell) -> (Fp N d m X Y ell kappa (path_pt (WA, thA) (dimfree_path N d m q l X Y ell kappa WA thA WB thB Wr thr) k t) - lam <= Rmax ((DX ^ 2) * (lamb ^ 2) * H / ((kappa ^ 2) * 2 * INR q)) (Fobj N d l X Y ell kappa Wr thr - lam)).
Proof.
  intros N d m X Y ell H DX kappa lam lamb dell q l WA WB Wr thA thB thr k t
         HC HX Hk HA HB Hr Hq Hlen Ht HFA HFB Hql Hlb [HDs Hn].
  pose proof (proj1 (holder1_descent ell dell H HDs)) as HH.
  assert (HqR : 0 < INR q) by (apply lt_0_INR, Hq).
  set (eps := H / 2 * (DX ^ 2 * (lamb / kappa) ^ 2 / INR q)).
  assert (He : 0 <= eps).
  { unfold eps. apply Rmult_le_pos; [lra|]. unfold Rdiv. apply Rmult_le_pos;
      [apply Rmult_le_pos; apply pow2_ge_0|left; apply Rinv_0_lt_compat, HqR]. }
  pose proof (sparse_end_F_holder N d m q X Y ell dell H DX kappa lam lamb WA thA HDs Hn HX HA Hk
                Hq HFA Hlb) as HdA.
  pose proof (sparse_end_F_holder N d m q X Y ell dell H DX kappa lam lamb WB thB HDs Hn HX HB Hk
                Hq HFB Hlb) as HdB.
  fold eps in HdA, HdB.
  destruct (zero_radius N d m X Y ell kappa lam eps q l WA WB Wr thA thB
              (sparse_end N d m q X Y ell kappa WA thA) (sparse_end N d m q X Y ell kappa WB thB)
              thr k t HC Hk He (sparse_end_l0 N d m q X Y ell kappa WA thA Hq)
              (sparse_end_l0 N d m q X Y ell kappa WB thB Hq) HA HB Hr Hlen Ht HFA HFB Hql)
    as [Hpt _]; [lra|lra|].
  replace ((DX ^ 2) * (lamb ^ 2) * H / ((kappa ^ 2) * 2 * INR q)) with eps
    by (unfold eps; field; split; lra).
  apply Rmax_excess2. exact Hpt.
Qed.
