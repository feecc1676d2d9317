(** Finite-sample proofs of the ll: statements (ll:sampling: Sampling.v).
    The last lemma of each section has the conclusion that proofs_check.coq prints from
    the registered sympy statement, and only hypotheses that the printed theorem has
    (setting + registry hypotheses); the generated file applies it. *)
Require Import Reals Lra Lia.
Require Import RL.Sums RL.Model.
Open Scope R_scope.

(* ------------------------------------------------------------------ ll:l1-control *)

Lemma l1_control :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (kappa s Rlow : R) (W : nat -> nat -> R) (th : nat -> R),
    0 < kappa ->
    Fobj N d m X Y ell kappa W th <= s ->
    Fobj N d m X Y ell kappa W th = kappa * l1 m th + risk N d m X Y ell W th ->
    risk N d m X Y ell W th >= Rlow ->
    l1 m th <= (s - Rlow) / kappa.
Proof.
  intros N d m X Y ell kappa s Rlow W th Hk Hs HF HR.
  apply (Rmult_le_reg_l kappa); [exact Hk|].
  replace (kappa * ((s - Rlow) / kappa)) with (s - Rlow) by (field; lra). lra.
Qed.

(* ------------------------------------------------------------- ll:relu-lipschitz *)

Lemma relu_diff_mean N d X DX a b :
  data_scale N d X DX ->
  mean N (fun k => Rabs (relu (dot d a (X k)) - relu (dot d b (X k)))) <= DX * norm d (vsub a b).
Proof.
  intros HX. eapply Rle_trans; [apply mean_le; intros; apply relu_lip|].
  rewrite (mean_ext _ _ (fun k => Rabs (dot d (vsub a b) (X k))))
    by (intros; rewrite dot_sub; reflexivity).
  apply feature_abs, HX.
Qed.

Lemma relu_lipschitz :
  forall (N d : nat) (X : nat -> nat -> R) (DX : R) (a b w : nat -> R),
    data_scale N d X DX ->
    norm d w <= 1 ->
    (mean N (fun k => Rabs (relu (dot d a (X k)) - relu (dot d b (X k)))) <= DX * norm d (vsub a b)) /\ (mean N (fun k => relu (dot d w (X k)) ^ 2) <= DX ^ 2).
Proof.
  intros N d X DX a b w HX Hw. split; [apply relu_diff_mean, HX|].
  eapply Rle_trans; [apply mean_le; intros; apply relu_sq|].
  destruct HX as [HD Hq]. eapply Rle_trans; [apply Hq|]. rewrite <- norm_sq.
  pose proof (norm_nonneg d w).
  assert (norm d w ^ 2 <= 1) by nra. assert (0 <= DX ^ 2) by nra. nra.
Qed.

(* -------------------------------------------------------------- ll:convex-output *)

Lemma F_thlin N d m X Y ell kappa W thA thB t :
  convex_loss ell -> 0 < kappa -> 0 <= t <= 1 ->
  Fobj N d m X Y ell kappa W (thlin t thA thB)
  <= (1 - t) * Fobj N d m X Y ell kappa W thA + t * Fobj N d m X Y ell kappa W thB.
Proof.
  intros HC Hk Ht. unfold Fobj, risk.
  rewrite (mean_ext _ _ (fun k => ell (Y k) ((1 - t) * Phi d m W thA (X k)
                                               + t * Phi d m W thB (X k))))
    by (intros; rewrite Phi_thlin; reflexivity).
  pose proof (risk_convex N Y ell (fun k => Phi d m W thA (X k))
                (fun k => Phi d m W thB (X k)) t HC Ht) as HR.
  cbv beta in HR.
  pose proof (l1_thlin m thA thB t Ht). nra.
Qed.

Lemma convex_output :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (kappa t : R) (W : nat -> nat -> R) (thA thB : nat -> R),
    convex_loss ell ->
    0 < kappa ->
    t >= 0 ->
    t <= 1 ->
    Fobj N d m X Y ell kappa W (thlin t thA thB) <= Rmax (Fobj N d m X Y ell kappa W thA) (Fobj N d m X Y ell kappa W thB).
Proof.
  intros N d m X Y ell kappa t W thA thB HC Hk Ht0 Ht1.
  eapply Rle_trans; [apply F_thlin; auto; lra|].
  pose proof (Rmax_l (Fobj N d m X Y ell kappa W thA) (Fobj N d m X Y ell kappa W thB)).
  pose proof (Rmax_r (Fobj N d m X Y ell kappa W thA) (Fobj N d m X Y ell kappa W thB)).
  nra.
Qed.

(* ------------------------------------------------------------------ ll:free-row *)

(** Row i replaced by any vector v. *)
Definition move_row (W : nat -> nat -> R) (i : nat) (v : nat -> R) : nat -> nat -> R :=
  fun k => if Nat.eqb k i then v else W k.

Lemma Phi_move_row d m W th i v x :
  (i < m)%nat -> th i = 0 -> Phi d m (move_row W i v) th x = Phi d m W th x.
Proof.
  intros Hi H0. unfold Phi, move_row.
  rewrite (sum_ext m _ (fun k => if Nat.eqb k i then 0 else th k * relu (dot d (W k) x))).
  - rewrite sum_update by exact Hi. rewrite H0. ring.
  - intros k _. destruct (Nat.eqb_spec k i); [subst; rewrite H0; ring|reflexivity].
Qed.

Lemma free_row :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (kappa : R) (W : nat -> nat -> R) (th : nat -> R) (i : nat) (v x : nat -> R),
    (i < m)%nat ->
    th i = 0 ->
    (Fobj N d m X Y ell kappa (move_row W i v) th = Fobj N d m X Y ell kappa W th) /\ (Phi d m (move_row W i v) th x - Phi d m W th x = 0).
Proof.
  intros N d m X Y ell kappa W th i v x Hi H0. split.
  - unfold Fobj, risk.
    rewrite (mean_ext _ _ (fun k => ell (Y k) (Phi d m W th (X k))))
      by (intros; rewrite Phi_move_row; auto). reflexivity.
  - rewrite Phi_move_row by assumption. ring.
Qed.

(* ------------------------------------------------------------ ll:buffer-transfer *)

(** Row b moves on the segment to row u (the copy, s ∈ [0, 1]); then the coefficient of u
    moves to b: (θ_u, 0) ↦ ((1−t)θ_u, tθ_u). *)
Definition transfer_W (s : R) (W : nat -> nat -> R) (u b : nat) : nat -> nat -> R :=
  fun i => if Nat.eqb i b then (fun j => (1 - s) * W b j + s * W u j) else W i.
Definition transfer_th (t : R) (th : nat -> R) (u b : nat) : nat -> R :=
  fun i => if Nat.eqb i b then t * th u else if Nat.eqb i u then (1 - t) * th u else th i.

(** A sum changed at two distinct indices. *)
Lemma sum_two n f g b u :
  (b < n)%nat -> (u < n)%nat -> u <> b ->
  (forall i, (i < n)%nat -> i <> b -> i <> u -> g i = f i) ->
  sum n g = sum n f - f b - f u + g b + g u.
Proof.
  intros Hb Hu Hub H.
  rewrite (sum_ext n g (fun i => if Nat.eqb i b then g b
                                 else (fun i => if Nat.eqb i u then g u else f i) i)).
  - rewrite sum_update by exact Hb. rewrite sum_update by exact Hu.
    destruct (Nat.eqb_spec b u); [lia|]. lra.
  - intros i Hi. destruct (Nat.eqb_spec i b); [subst; reflexivity|].
    destruct (Nat.eqb_spec i u); [subst; reflexivity|]. apply H; assumption.
Qed.

Lemma Phi_transfer d m s t W th u b x :
  (u < m)%nat -> (b < m)%nat -> u <> b -> th b = 0 -> (t = 0 \/ s = 1) ->
  Phi d m (transfer_W s W u b) (transfer_th t th u b) x = Phi d m W th x.
Proof.
  intros Hu Hb Hub H0 Hts. unfold Phi.
  rewrite (sum_two m (fun i => th i * relu (dot d (W i) x)) _ b u Hb Hu Hub).
  - unfold transfer_th, transfer_W. rewrite Nat.eqb_refl.
    destruct (Nat.eqb_spec u b); [lia|]. rewrite Nat.eqb_refl, H0.
    destruct Hts as [Ht|Hs].
    + subst t. ring.
    + subst s.
      assert (E : dot d (fun j => (1 - 1) * W b j + 1 * W u j) x = dot d (W u) x)
        by (unfold dot; apply sum_ext; intros; ring).
      rewrite E. ring.
  - intros i Hi Hib Hiu. unfold transfer_th, transfer_W.
    destruct (Nat.eqb_spec i b); [contradiction|]. destruct (Nat.eqb_spec i u); [contradiction|].
    reflexivity.
Qed.

Lemma l1_transfer m t th u b :
  (u < m)%nat -> (b < m)%nat -> u <> b -> th b = 0 -> 0 <= t <= 1 ->
  l1 m (transfer_th t th u b) = l1 m th.
Proof.
  intros Hu Hb Hub H0 Ht. unfold l1.
  rewrite (sum_two m (fun i => Rabs (th i)) _ b u Hb Hu Hub).
  - unfold transfer_th. rewrite Nat.eqb_refl.
    destruct (Nat.eqb_spec u b); [lia|]. rewrite Nat.eqb_refl, H0, Rabs_R0.
    rewrite !Rabs_mult, (Rabs_pos_eq t), (Rabs_pos_eq (1 - t)) by lra. ring.
  - intros i Hi Hib Hiu. unfold transfer_th.
    destruct (Nat.eqb_spec i b); [contradiction|]. destruct (Nat.eqb_spec i u); [contradiction|].
    reflexivity.
Qed.

Lemma buffer_transfer :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (kappa s t : R) (W : nat -> nat -> R) (th : nat -> R) (u b : nat) (x : nat -> R),
    (u < m)%nat ->
    (b < m)%nat ->
    u <> b ->
    th b = 0 ->
    t = 0 \/ s = 1 ->
    t >= 0 ->
    t <= 1 ->
    (Fobj N d m X Y ell kappa (transfer_W s W u b) (transfer_th t th u b) = Fobj N d m X Y ell kappa W th) /\ (Phi d m (transfer_W s W u b) (transfer_th t th u b) x - Phi d m W th x = 0) /\ (Rabs ((t - 1) * th u) + Rabs (t * th u) = Rabs (th u)).
Proof.
  intros N d m X Y ell kappa s t W th u b x Hu Hb Hub H0 Hts Ht0 Ht1.
  split; [|split].
  - unfold Fobj, risk. rewrite l1_transfer by (auto; lra).
    rewrite (mean_ext _ _ (fun k => ell (Y k) (Phi d m W th (X k))))
      by (intros; rewrite Phi_transfer; auto). reflexivity.
  - rewrite Phi_transfer by auto. ring.
  - rewrite !Rabs_mult, (Rabs_pos_eq t), (Rabs_left1 (t - 1)) by lra. ring.
Qed.

(* ------------------------------------------------------------------- ll:pruning *)

Definition count (m : nat) (rm : nat -> bool) : R := sum m (fun i => if rm i then 1 else 0).
Definition smallest_mass (m : nat) (rm : nat -> bool) (th : nat -> R) : Prop :=
  forall i j, (i < m)%nat -> (j < m)%nat -> rm i = true -> rm j = false ->
  Rabs (th i) <= Rabs (th j).
Definition prune (rm : nat -> bool) (th : nat -> R) : nat -> R :=
  fun i => if rm i then 0 else th i.

Definition ind (b : bool) : R := if b then 1 else 0.

(** The removed mass is at most the average share: m Σ_{removed}|θ_i| ≤ l ‖θ‖₁. *)
Lemma removed_mass m rm th l :
  count m rm = INR l -> smallest_mass m rm th ->
  INR m * sum m (fun i => ind (rm i) * Rabs (th i)) <= INR l * l1 m th.
Proof.
  intros Hc Hs.
  set (sS := sum m (fun i => ind (rm i) * Rabs (th i))).
  set (sK := sum m (fun i => (1 - ind (rm i)) * Rabs (th i))).
  assert (Hl1 : l1 m th = sS + sK).
  { unfold l1, sS, sK. rewrite <- sum_plus. apply sum_ext. intros; ring. }
  assert (HcS : sum m (fun i => ind (rm i)) = INR l) by exact Hc.
  assert (HcK : sum m (fun j => 1 - ind (rm j)) = INR m - INR l).
  { rewrite sum_minus, sum_const, HcS. ring. }
  set (F1 := fun j i => (1 - ind (rm j)) * (ind (rm i) * Rabs (th i))).
  set (F2 := fun i j => ind (rm i) * ((1 - ind (rm j)) * Rabs (th j))).
  assert (E1 : (INR m - INR l) * sS = sum m (fun j => sum m (fun i => F1 j i))).
  { rewrite <- HcK, <- (sum_scal_r m sS). apply sum_ext. intros j _.
    unfold sS, F1. rewrite <- sum_scal_l. reflexivity. }
  assert (E2 : INR l * sK = sum m (fun j => sum m (fun i => F2 i j))).
  { etransitivity; [|apply (sum_swap m m F2)].
    rewrite <- HcS, <- (sum_scal_r m sK). apply sum_ext. intros i _.
    unfold sK, F2. rewrite <- sum_scal_l. reflexivity. }
  assert (Hx : (INR m - INR l) * sS <= INR l * sK).
  { rewrite E1, E2. apply sum_le. intros j Hj. apply sum_le. intros i Hi.
    unfold F1, F2, ind. destruct (rm i) eqn:Ei, (rm j) eqn:Ej;
      pose proof (Rabs_pos (th i)); pose proof (Rabs_pos (th j)); try lra.
    pose proof (Hs i j Hi Hj Ei Ej). lra. }
  rewrite Hl1. nra.
Qed.

Lemma pruning :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (L DX kappa : R) (W : nat -> nat -> R) (th : nat -> R) (rm : nat -> bool) (l : nat),
    lipschitz_loss ell L ->
    data_scale N d X DX ->
    in_ball d m W ->
    count m rm = INR l ->
    smallest_mass m rm th ->
    Fobj N d m X Y ell kappa W (prune rm th) - Fobj N d m X Y ell kappa W th <= (Rmax (DX * L - kappa) 0) * INR l * l1 m th / INR m.
Proof.
  intros N d m X Y ell L DX kappa W th rm l HL HX HW Hc Hs.
  set (sS := sum m (fun i => ind (rm i) * Rabs (th i))).
  assert (HS0 : 0 <= sS) by (apply sum_nonneg; intros; unfold ind; destruct (rm i);
                              pose proof (Rabs_pos (th i)); lra).
  assert (Hpen : l1 m (prune rm th) = l1 m th - sS).
  { unfold l1, sS, prune. rewrite <- sum_minus. apply sum_ext. intros i _.
    unfold ind. destruct (rm i); rewrite ?Rabs_R0; ring. }
  assert (Hdiff : sum m (fun i => Rabs (prune rm th i - th i)) = sS).
  { unfold sS, prune. apply sum_ext. intros i _. unfold ind. destruct (rm i).
    - rewrite Rminus_0_l, Rabs_Ropp. ring.
    - rewrite Rminus_diag_eq, Rabs_R0 by reflexivity. ring. }
  assert (Hrisk : risk N d m X Y ell W (prune rm th) - risk N d m X Y ell W th <= L * DX * sS).
  { unfold risk. eapply Rle_trans.
    - apply (risk_lip N Y ell L (fun k => Phi d m W (prune rm th) (X k))
                                (fun k => Phi d m W th (X k)) HL).
    - pose proof (lipschitz_nonneg ell L HL).
      pose proof (Phi_theta_diff_mean N d m X DX W (prune rm th) th HX HW) as HP.
      rewrite Hdiff in HP. cbv beta. rewrite Rmult_assoc. apply Rmult_le_compat_l; assumption. }
  assert (HdF : Fobj N d m X Y ell kappa W (prune rm th) - Fobj N d m X Y ell kappa W th
                <= Rmax (DX * L - kappa) 0 * sS).
  { unfold Fobj. rewrite Hpen.
    pose proof (Rmax_l (DX * L - kappa) 0). nra. }
  pose proof (removed_mass m rm th l Hc Hs) as Hm. fold sS in Hm.
  pose proof (Rmax_r (DX * L - kappa) 0) as Hmx.
  destruct m as [|m'].
  - unfold sS in HdF. simpl sum in HdF. simpl INR. unfold Rdiv. rewrite Rinv_0. lra.
  - assert (Hm0 : 0 < INR (S m')) by (apply lt_0_INR; lia).
    eapply Rle_trans; [exact HdF|].
    apply (Rmult_le_reg_l (INR (S m'))); [exact Hm0|].
    replace (INR (S m') * (Rmax (DX * L - kappa) 0 * INR l * l1 (S m') th / INR (S m')))
      with (Rmax (DX * L - kappa) 0 * (INR l * l1 (S m') th)) by (field; lra).
    nra.
Qed.

(* -------------------------------------------------------------------- ll:bridge *)

Lemma norm_vsub_wlin_A d t WA WB i :
  0 <= t -> norm d (vsub (wlin t WA WB i) (WA i)) = t * norm d (vsub (WB i) (WA i)).
Proof.
  intros Ht. rewrite (norm_ext d _ (fun j => t * vsub (WB i) (WA i) j)).
  - rewrite norm_scal, Rabs_pos_eq by exact Ht. reflexivity.
  - intros j _. unfold vsub, wlin. ring.
Qed.

Lemma norm_vsub_wlin_B d t WA WB i :
  t <= 1 -> norm d (vsub (wlin t WA WB i) (WB i)) = (1 - t) * norm d (vsub (WB i) (WA i)).
Proof.
  intros Ht. rewrite (norm_ext d _ (fun j => (t - 1) * vsub (WB i) (WA i) j)).
  - rewrite norm_scal, Rabs_left1 by lra. ring.
  - intros j _. unfold vsub, wlin. ring.
Qed.

(** Along the segment, F ≤ the chord + L D_X r t(1−t)(‖θ_A‖₁ + ‖θ_B‖₁). *)
Lemma bridge_chord N d m X Y ell L DX kappa r t WA WB thA thB :
  lipschitz_loss ell L -> convex_loss ell -> data_scale N d X DX -> 0 < kappa ->
  (forall i, (i < m)%nat -> norm d (vsub (WB i) (WA i)) <= r) -> 0 <= t <= 1 ->
  Fobj N d m X Y ell kappa (wlin t WA WB) (thlin t thA thB)
  <= (1 - t) * Fobj N d m X Y ell kappa WA thA + t * Fobj N d m X Y ell kappa WB thB
     + L * DX * r * (t * (1 - t)) * (l1 m thA + l1 m thB).
Proof.
  intros HL HC HX Hk Hr Ht.
  pose proof (lipschitz_nonneg ell L HL) as HL0.
  set (Pt := fun k => Phi d m (wlin t WA WB) (thlin t thA thB) (X k)).
  set (Ps := fun k => (1 - t) * Phi d m WA thA (X k) + t * Phi d m WB thB (X k)).
  set (rt := fun i k => relu (dot d (wlin t WA WB i) (X k))).
  (* pointwise: |Φ_t − Ψ_t| ≤ Σ_i (1−t)|θ_A,i| |ρ_t − ρ_A| + t|θ_B,i| |ρ_t − ρ_B| *)
  assert (Hpt : forall k, (k < N)%nat -> Rabs (Pt k - Ps k) <=
    sum m (fun i => (1 - t) * Rabs (thA i) * Rabs (rt i k - relu (dot d (WA i) (X k)))
                    + t * Rabs (thB i) * Rabs (rt i k - relu (dot d (WB i) (X k))))).
  { intros k _. unfold Pt, Ps, Phi.
    rewrite <- !sum_scal_l, <- sum_plus, <- sum_minus.
    eapply Rle_trans; [apply sum_abs|]. apply sum_le. intros i _.
    unfold thlin, rt.
    replace (((1 - t) * thA i + t * thB i) * relu (dot d (wlin t WA WB i) (X k))
             - ((1 - t) * (thA i * relu (dot d (WA i) (X k)))
                + t * (thB i * relu (dot d (WB i) (X k)))))
      with ((1 - t) * thA i * (relu (dot d (wlin t WA WB i) (X k)) - relu (dot d (WA i) (X k)))
            + t * thB i * (relu (dot d (wlin t WA WB i) (X k)) - relu (dot d (WB i) (X k))))
      by ring.
    eapply Rle_trans; [apply Rabs_triang|].
    rewrite !Rabs_mult, (Rabs_pos_eq t), (Rabs_pos_eq (1 - t)) by lra. lra. }
  (* in mean: ≤ t(1−t) D_X r (‖θ_A‖₁ + ‖θ_B‖₁) *)
  assert (Hmean : mean N (fun k => Rabs (Pt k - Ps k))
                  <= DX * r * (t * (1 - t)) * (l1 m thA + l1 m thB)).
  { eapply Rle_trans; [apply mean_le; exact Hpt|].
    rewrite mean_sum.
    unfold l1. rewrite <- sum_plus, <- sum_scal_l. apply sum_le. intros i Hi.
    rewrite mean_plus, !mean_scal. unfold rt.
    pose proof (relu_diff_mean N d X DX (wlin t WA WB i) (WA i) HX) as HA.
    pose proof (relu_diff_mean N d X DX (wlin t WA WB i) (WB i) HX) as HB.
    rewrite norm_vsub_wlin_A in HA by lra. rewrite norm_vsub_wlin_B in HB by lra.
    pose proof (Hr i Hi) as Hri. destruct HX as [HD _].
    pose proof (Rabs_pos (thA i)). pose proof (Rabs_pos (thB i)).
    pose proof (norm_nonneg d (vsub (WB i) (WA i))).
    assert (HA' : mean N (fun k => Rabs (relu (dot d (wlin t WA WB i) (X k))
                                          - relu (dot d (WA i) (X k)))) <= DX * (t * r))
      by (eapply Rle_trans; [exact HA|]; apply Rmult_le_compat_l; nra).
    assert (HB' : mean N (fun k => Rabs (relu (dot d (wlin t WA WB i) (X k))
                                          - relu (dot d (WB i) (X k)))) <= DX * ((1 - t) * r))
      by (eapply Rle_trans; [exact HB|]; apply Rmult_le_compat_l; nra).
    assert (H1t : 0 <= 1 - t) by lra.
    assert (E1 : (1 - t) * Rabs (thA i) * mean N (fun k => Rabs (relu (dot d (wlin t WA WB i) (X k)) - relu (dot d (WA i) (X k)))) <= (1 - t) * Rabs (thA i) * (DX * (t * r)))
      by (apply Rmult_le_compat_l; [nra|exact HA']).
    assert (E2 : t * Rabs (thB i) * mean N (fun k => Rabs (relu (dot d (wlin t WA WB i) (X k)) - relu (dot d (WB i) (X k)))) <= t * Rabs (thB i) * (DX * ((1 - t) * r)))
      by (apply Rmult_le_compat_l; [nra|exact HB']).
    lra. }
  assert (Hrt : risk N d m X Y ell (wlin t WA WB) (thlin t thA thB)
                <= (1 - t) * risk N d m X Y ell WA thA + t * risk N d m X Y ell WB thB
                   + L * (DX * r * (t * (1 - t)) * (l1 m thA + l1 m thB))).
  { unfold risk.
    change (mean N (fun k => ell (Y k) (Phi d m (wlin t WA WB) (thlin t thA thB) (X k))))
      with (mean N (fun k => ell (Y k) (Pt k))).
    pose proof (risk_lip N Y ell L Pt Ps HL) as HRl.
    pose proof (risk_convex N Y ell (fun k => Phi d m WA thA (X k))
                  (fun k => Phi d m WB thB (X k)) t HC Ht) as HRc.
    cbv beta in HRc.
    change (mean N (fun k => ell (Y k) ((1 - t) * Phi d m WA thA (X k)
                                         + t * Phi d m WB thB (X k))))
      with (mean N (fun k => ell (Y k) (Ps k))) in HRc.
    assert (HLm : L * mean N (fun k => Rabs (Pt k - Ps k))
                  <= L * (DX * r * (t * (1 - t)) * (l1 m thA + l1 m thB)))
      by (apply Rmult_le_compat_l; assumption).
    lra. }
  pose proof (l1_thlin m thA thB t Ht) as Hl1.
  unfold Fobj. nra.
Qed.

Lemma bridge :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (L DX kappa r Lam Rlow t : R) (WA WB : nat -> nat -> R) (thA thB : nat -> R),
    lipschitz_loss ell L ->
    convex_loss ell ->
    data_scale N d X DX ->
    0 < kappa ->
    0 <= r ->
    (forall i, (i < m)%nat -> norm d (vsub (WB i) (WA i)) <= r) ->
    risk N d m X Y ell WA thA >= Rlow ->
    risk N d m X Y ell WB thB >= Rlow ->
    0 <= t <= 1 ->
    Fobj N d m X Y ell kappa WA thA <= Lam ->
    Fobj N d m X Y ell kappa WB thB <= Lam ->
    Fobj N d m X Y ell kappa (wlin t WA WB) (thlin t thA thB) <= (Lam - Rlow) * DX * L * r / kappa + Lam.
Proof.
  intros N d m X Y ell L DX kappa r Lam Rlow t WA WB thA thB
         HL HC HX Hk Hr0 Hr HRA HRB Ht HFA HFB.
  pose proof (bridge_chord N d m X Y ell L DX kappa r t WA WB thA thB HL HC HX Hk Hr Ht) as H.
  pose proof (lipschitz_nonneg ell L HL) as HL0.
  pose proof (l1_nonneg m thA). pose proof (l1_nonneg m thB).
  destruct HX as [HD _].
  assert (Hc : (1 - t) * Fobj N d m X Y ell kappa WA thA + t * Fobj N d m X Y ell kappa WB thB
               <= Lam) by nra.
  unfold Fobj in HFA, HFB.
  (* ℓ1 control at both ends: κ(‖θ_A‖₁ + ‖θ_B‖₁) ≤ 2(Λ − R̲) *)
  assert (HS : kappa * (l1 m thA + l1 m thB) <= 2 * (Lam - Rlow)) by lra.
  assert (HLam : 0 <= Lam - Rlow) by nra.
  assert (Hq : 0 <= t * (1 - t) <= 1 / 4)
    by (split; [apply Rmult_le_pos; lra|pose proof (pow2_ge_0 (t - 1 / 2)); nra]).
  assert (HP : 0 <= L * DX * r) by (apply Rmult_le_pos; [apply Rmult_le_pos|]; assumption).
  assert (Key : kappa * (L * DX * r * (t * (1 - t)) * (l1 m thA + l1 m thB))
                <= (Lam - Rlow) * DX * L * r).
  { replace (kappa * (L * DX * r * (t * (1 - t)) * (l1 m thA + l1 m thB)))
      with (L * DX * r * (t * (1 - t)) * (kappa * (l1 m thA + l1 m thB))) by ring.
    assert (HPq : 0 <= L * DX * r * (t * (1 - t))) by nra.
    eapply Rle_trans; [apply Rmult_le_compat_l; [exact HPq|exact HS]|].
    assert (A1 : L * DX * r * (t * (1 - t)) <= L * DX * r * (1 / 4))
      by (apply Rmult_le_compat_l; [exact HP|lra]).
    assert (A2 : 0 <= L * DX * r * (Lam - Rlow)) by (apply Rmult_le_pos; assumption).
    eapply Rle_trans; [apply Rmult_le_compat_r; [lra|exact A1]|]. lra. }
  assert (Key' : L * DX * r * (t * (1 - t)) * (l1 m thA + l1 m thB)
                 <= (Lam - Rlow) * DX * L * r / kappa).
  { apply (Rmult_le_reg_l kappa); [exact Hk|].
    replace (kappa * ((Lam - Rlow) * DX * L * r / kappa)) with ((Lam - Rlow) * DX * L * r)
      by (field; lra). exact Key. }
  lra.
Qed.

(* ------------------------------------------------------ ll:thm-fixed-level (κ ≥ L D_X) *)

Lemma zero_network_below N d m X Y ell L DX kappa W th :
  lipschitz_loss ell L -> data_scale N d X DX -> in_ball d m W -> kappa >= DX * L ->
  Fobj N d m X Y ell kappa W zero_theta <= Fobj N d m X Y ell kappa W th.
Proof.
  intros HL HX HW Hk.
  pose proof (lipschitz_nonneg ell L HL) as HL0.
  pose proof (l1_nonneg m th) as Hl1.
  assert (Hz : l1 m zero_theta = 0).
  { unfold l1, zero_theta. rewrite Rabs_R0. apply sum_zero. }
  assert (Hd : sum m (fun i => Rabs (zero_theta i - th i)) = l1 m th).
  { unfold l1, zero_theta. apply sum_ext. intros. rewrite Rminus_0_l, Rabs_Ropp. reflexivity. }
  pose proof (Phi_theta_diff_mean N d m X DX W zero_theta th HX HW) as HP.
  rewrite Hd in HP.
  pose proof (risk_lip N Y ell L (fun k => Phi d m W zero_theta (X k))
                (fun k => Phi d m W th (X k)) HL) as HR.
  cbv beta in HR.
  assert (HLP : L * mean N (fun k => Rabs (Phi d m W zero_theta (X k) - Phi d m W th (X k)))
                <= L * (DX * l1 m th)) by (apply Rmult_le_compat_l; assumption).
  unfold Fobj, risk. rewrite Hz. nra.
Qed.

Lemma fixed_level_strong :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (L DX kappa : R) (W : nat -> nat -> R) (th : nat -> R),
    lipschitz_loss ell L ->
    data_scale N d X DX ->
    in_ball d m W ->
    (kappa >= DX * L) -> ((Fobj N d m X Y ell kappa W zero_theta <= Fobj N d m X Y ell kappa W th) /\ (forall W' th', in_ball d m W' -> Fobj N d m X Y ell kappa W' zero_theta <= Fobj N d m X Y ell kappa W' th')).
Proof.
  intros N d m X Y ell L DX kappa W th HL HX HW Hk. split.
  - apply (zero_network_below N d m X Y ell L DX); assumption.
  - intros W' th' HW'. apply (zero_network_below N d m X Y ell L DX); assumption.
Qed.
