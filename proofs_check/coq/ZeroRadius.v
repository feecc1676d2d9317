(** ll:zero-radius, finite form. A = (W_A, θ_A), B = (W_B, θ_B) with F ≤ λ; θ̂_A, θ̂_B
    q-sparse (‖θ̂‖₀ ≤ q = m − l) on the endpoints' own rows with F(W_A, θ̂_A),
    F(W_B, θ̂_B) ≤ λ + ε (δ_A, δ_B read as these given witnesses); a width-l reference
    (W_r, θ_r) whose F is e(l). Then a 9-segment path from A to B has F ≤ max(e(l), λ + ε)
    at every point and keeps the rows in the ball:

      A → (W_A, θ̂_A)                       θ only (ll:convex-output)
        → (W_A', θ̂_A)                       the reference's rows into l free slots of θ̂_A
        → (W_A', θ_r on A's slots)           θ only; the end realizes the reference: F = e(l)
        → (W_mid, θ_r on A's slots)          the reference's rows also into B's slots (free)
        → (W_mid, θ_r on B's slots)          θ only, both ends F = e(l)
        → (W_B', θ_r on B's slots)           rows off B's slots back to W_B (free)
        → (W_B', θ̂_B) → (W_B, θ̂_B) → B       the mirror image of the first three.

    ‖θ̂‖₀ ≤ q gives at least l zero slots ([zero_slots_length]). A's and B's slots are
    listed with the slots free at both first ([zr_slotsA], [zr_slotsB]), so a slot used by
    both holds the same reference unit ([zr_agree]): the rows of W_mid are consistent, and
    no relabeling of units is needed. Embedding: θ_i = Σ_j [s_j = i] θ_r,j and row s_j ↦
    w_r,j ([zr_th], [zr_W]); for injective slots s this realizes the reference exactly
    ([F_embed]). *)
Require Import Reals Lra Lia List Bool FunctionalExtensionality.
Require Import RL.Sums RL.Model RL.Statements RL.Sampling RL.Paths.
Import ListNotations.
Open Scope R_scope.

(* ------------------------------------------------------------ embedding a model *)

(** θ_i = Σ_{j<l} [s j = i] θ_r,j; row i ↦ w_r,j at i = s j (others kept). *)
Definition zr_th (s : nat -> nat) (l : nat) (thr : nat -> R) : nat -> R :=
  fun i => sum l (fun j => if Nat.eqb (s j) i then thr j else 0).
Definition zr_W (s : nat -> nat) (l : nat) (Wr W : nat -> nat -> R) : nat -> nat -> R :=
  fun i c => W i c + sum l (fun j => if Nat.eqb (s j) i then Wr j c - W i c else 0).

Definition slots_ok (m l : nat) (s : nat -> nat) (th : nat -> R) : Prop :=
  (forall j, (j < l)%nat -> (s j < m)%nat /\ th (s j) = 0) /\
  (forall j j', (j < l)%nat -> (j' < l)%nat -> s j = s j' -> j = j').

Lemma slot_dec (s : nat -> nat) l i :
  (exists j, (j < l)%nat /\ s j = i) \/ (forall j, (j < l)%nat -> s j <> i).
Proof.
  induction l as [|l IH]; [right; intros; lia|].
  destruct (Nat.eq_dec (s l) i) as [E|E]; [left; exists l; split; [lia|exact E]|].
  destruct IH as [[j [Hj Hs]]|H]; [left; exists j; split; [lia|exact Hs]|].
  right. intros j Hj. destruct (Nat.eq_dec j l) as [->|Hne]; [exact E|apply H; lia].
Qed.

Lemma slot_sum_off (s : nat -> nat) l i (c : nat -> R) :
  (forall j, (j < l)%nat -> s j <> i) -> sum l (fun j => if Nat.eqb (s j) i then c j else 0) = 0.
Proof.
  intros H. rewrite (sum_ext _ _ (fun _ => 0)); [apply sum_zero|].
  intros j Hj. destruct (Nat.eqb_spec (s j) i); [exfalso; apply (H j Hj); assumption|].
  reflexivity.
Qed.

Lemma slot_sum_at (s : nat -> nat) l j0 (c : nat -> R) :
  (forall j j', (j < l)%nat -> (j' < l)%nat -> s j = s j' -> j = j') -> (j0 < l)%nat ->
  sum l (fun j => if Nat.eqb (s j) (s j0) then c j else 0) = c j0.
Proof.
  intros Hi Hj0. rewrite <- (sum_point l j0 (c j0) Hj0). apply sum_ext. intros j Hj.
  destruct (Nat.eqb_spec (s j) (s j0)) as [E|E]; destruct (Nat.eqb_spec j j0); subst;
    try reflexivity.
  - exfalso. apply n. apply Hi; assumption.
  - exfalso. apply E. reflexivity.
Qed.

Lemma slot_sum_abs (s : nat -> nat) l i (c : nat -> R) :
  (forall j j', (j < l)%nat -> (j' < l)%nat -> s j = s j' -> j = j') ->
  Rabs (sum l (fun j => if Nat.eqb (s j) i then c j else 0))
  = sum l (fun j => if Nat.eqb (s j) i then Rabs (c j) else 0).
Proof.
  induction l as [|l IH]; intros Hi; simpl sum; [rewrite Rabs_R0; reflexivity|].
  assert (Hi' : forall j j', (j < l)%nat -> (j' < l)%nat -> s j = s j' -> j = j')
    by (intros; apply Hi; auto; lia).
  destruct (Nat.eqb_spec (s l) i) as [E|E].
  - assert (Hoff : forall j, (j < l)%nat -> s j <> i).
    { intros j Hj Hs. assert (j = l) by (apply Hi; [lia|lia|congruence]). lia. }
    rewrite !slot_sum_off by exact Hoff. rewrite !Rplus_0_l. reflexivity.
  - rewrite !Rplus_0_r. apply IH, Hi'.
Qed.

(** The embedded model realizes the reference: same Φ at every x, same ‖θ‖₁, same F. *)
Lemma Phi_embed d m l (s : nat -> nat) Wr thr V x :
  (forall j, (j < l)%nat -> (s j < m)%nat) -> (forall j, (j < l)%nat -> V (s j) = Wr j) ->
  Phi d m V (zr_th s l thr) x = Phi d l Wr thr x.
Proof.
  intros Hm HV. unfold Phi, zr_th.
  rewrite (sum_ext m _ (fun i => sum l (fun j => if Nat.eqb (s j) i
                                         then thr j * relu (dot d (V i) x) else 0))).
  2: { intros i _. rewrite <- sum_scal_r. apply sum_ext. intros j _.
       destruct (Nat.eqb (s j) i); ring. }
  rewrite sum_swap. apply sum_ext. intros j Hj.
  rewrite (sum_ext m _ (fun i => if Nat.eqb i (s j) then thr j * relu (dot d (Wr j) x) else 0)).
  - apply sum_point, Hm, Hj.
  - intros i _. destruct (Nat.eqb_spec (s j) i) as [E|E]; destruct (Nat.eqb_spec i (s j));
      subst; try reflexivity; try (exfalso; auto; fail).
    rewrite HV by exact Hj. reflexivity.
Qed.

Lemma l1_embed m l (s : nat -> nat) thr :
  (forall j, (j < l)%nat -> (s j < m)%nat) ->
  (forall j j', (j < l)%nat -> (j' < l)%nat -> s j = s j' -> j = j') ->
  l1 m (zr_th s l thr) = l1 l thr.
Proof.
  intros Hm Hi. unfold l1, zr_th.
  rewrite (sum_ext m _ (fun i => sum l (fun j => if Nat.eqb (s j) i then Rabs (thr j) else 0)))
    by (intros; apply slot_sum_abs, Hi).
  rewrite sum_swap. apply sum_ext. intros j Hj.
  rewrite (sum_ext m _ (fun i => if Nat.eqb i (s j) then Rabs (thr j) else 0)).
  - apply sum_point, Hm, Hj.
  - intros i _. destruct (Nat.eqb_spec (s j) i); destruct (Nat.eqb_spec i (s j)); subst;
      try reflexivity; exfalso; auto.
Qed.

Lemma F_embed N d m l X Y ell kappa (s : nat -> nat) Wr thr V :
  (forall j, (j < l)%nat -> (s j < m)%nat) ->
  (forall j j', (j < l)%nat -> (j' < l)%nat -> s j = s j' -> j = j') ->
  (forall j, (j < l)%nat -> V (s j) = Wr j) ->
  Fobj N d m X Y ell kappa V (zr_th s l thr) = Fobj N d l X Y ell kappa Wr thr.
Proof.
  intros Hm Hi HV. unfold Fobj, risk. rewrite l1_embed by assumption. f_equal.
  apply mean_ext. intros k _. rewrite (Phi_embed d m l s Wr thr V) by assumption.
  reflexivity.
Qed.

(** Rows of the embedding. *)
Lemma zr_W_at (s : nat -> nat) l Wr W j :
  (forall j j', (j < l)%nat -> (j' < l)%nat -> s j = s j' -> j = j') -> (j < l)%nat ->
  zr_W s l Wr W (s j) = Wr j.
Proof.
  intros Hi Hj. unfold zr_W. extensionality c.
  rewrite (slot_sum_at s l j (fun j' => Wr j' c - W (s j) c)) by assumption. ring.
Qed.

Lemma zr_W_off (s : nat -> nat) l Wr W i :
  (forall j, (j < l)%nat -> s j <> i) -> zr_W s l Wr W i = W i.
Proof.
  intros H. unfold zr_W. extensionality c.
  rewrite (slot_sum_off s l i (fun j => Wr j c - W i c)) by exact H. ring.
Qed.

Lemma zr_th_off (s : nat -> nat) l thr i :
  (forall j, (j < l)%nat -> s j <> i) -> zr_th s l thr i = 0.
Proof. intros H. unfold zr_th. apply slot_sum_off, H. Qed.

(** Moving the reference's rows into free slots is a free-row segment. *)
Lemma embed_free m l (s : nat -> nat) Wr W th :
  slots_ok m l s th ->
  forall i, (i < m)%nat -> th i = 0 \/ W i = zr_W s l Wr W i.
Proof.
  intros [Hz _] i Hi. destruct (slot_dec s l i) as [[j [Hj <-]]|H].
  - left. apply Hz, Hj.
  - right. symmetry. apply zr_W_off, H.
Qed.

Lemma embed_ball d m l (s : nat -> nat) Wr W th :
  slots_ok m l s th -> in_ball d l Wr -> in_ball d m W -> in_ball d m (zr_W s l Wr W).
Proof.
  intros Hs HWr HW i Hi. destruct Hs as [Hz Hinj].
  destruct (slot_dec s l i) as [[j [Hj <-]]|H].
  - rewrite zr_W_at by assumption. apply HWr, Hj.
  - rewrite zr_W_off by exact H. apply HW, Hi.
Qed.

(* ------------------------------------------------------------- the free slots *)

Definition isz (v : nat -> R) (i : nat) : bool := if Req_EM_T (v i) 0 then true else false.

(** ‖v‖₀ ≤ q = m − l leaves at least l zero slots. *)
Lemma zero_slots_count m v :
  INR (length (filter (isz v) (seq 0 m))) = INR m - l0 m v.
Proof.
  induction m as [|m IH]; [unfold l0; simpl; ring|].
  rewrite seq_S, filter_app, app_length, plus_INR, IH. unfold l0. simpl sum.
  fold (l0 m v). simpl filter. unfold isz. rewrite S_INR.
  destruct (Req_EM_T (v m) 0); simpl; ring.
Qed.

Lemma filter_split (f g : nat -> bool) xs :
  (length (filter (fun i => f i && g i) xs) + length (filter (fun i => f i && negb (g i)) xs)
   = length (filter f xs))%nat.
Proof.
  induction xs as [|a xs IH]; [reflexivity|]. simpl.
  destruct (f a), (g a); simpl; lia.
Qed.

Lemma NoDup_app_disj (c o : list nat) :
  NoDup c -> NoDup o -> (forall x, In x c -> ~ In x o) -> NoDup (c ++ o).
Proof.
  induction c as [|a c IH]; intros Hc Ho Hd; [exact Ho|]. simpl.
  apply NoDup_cons_iff in Hc. destruct Hc as [Ha Hc']. constructor.
  - rewrite in_app_iff. intros [Hx|Hx]; [contradiction|apply (Hd a); [left|]; auto].
  - apply IH; [exact Hc'|exact Ho|]. intros x Hx. apply Hd. right. exact Hx.
Qed.

(** Slots free at both ends first, then the slots free only at this end. *)
Definition zr_common (m : nat) (thAh thBh : nat -> R) : list nat :=
  filter (fun i => isz thAh i && isz thBh i) (seq 0 m).
Definition zr_only (m : nat) (th th' : nat -> R) : list nat :=
  filter (fun i => isz th i && negb (isz th' i)) (seq 0 m).
Definition zr_slotsA (m : nat) (thAh thBh : nat -> R) : nat -> nat :=
  fun j => nth j (zr_common m thAh thBh ++ zr_only m thAh thBh) 0%nat.
Definition zr_slotsB (m : nat) (thAh thBh : nat -> R) : nat -> nat :=
  fun j => nth j (zr_common m thAh thBh ++ zr_only m thBh thAh) 0%nat.

Lemma in_common m thAh thBh x :
  In x (zr_common m thAh thBh) -> (x < m)%nat /\ isz thAh x = true /\ isz thBh x = true.
Proof.
  unfold zr_common. rewrite filter_In, in_seq. intros [H E].
  apply andb_true_iff in E. destruct E as [E1 E2]. split; [lia|auto].
Qed.

Lemma in_only m th th' x :
  In x (zr_only m th th') -> (x < m)%nat /\ isz th x = true /\ isz th' x = false.
Proof.
  unfold zr_only. rewrite filter_In, in_seq. intros [H E].
  apply andb_true_iff in E. destruct E as [E1 E2]. apply negb_true_iff in E2.
  split; [lia|auto].
Qed.

Lemma isz_zero v i : isz v i = true -> v i = 0.
Proof. unfold isz. destruct (Req_EM_T (v i) 0); [auto|discriminate]. Qed.

Lemma zr_list_length m th th' q l :
  l0 m th <= INR q -> INR q = INR m - INR l ->
  (l <= length (zr_common m th th' ++ zr_only m th th'))%nat.
Proof.
  intros H0 Hq. rewrite app_length. unfold zr_common, zr_only. rewrite filter_split.
  apply INR_le. rewrite zero_slots_count. lra.
Qed.

Lemma zr_list_nodup m th th' :
  NoDup (zr_common m th th' ++ zr_only m th th').
Proof.
  apply NoDup_app_disj; [apply NoDup_filter, seq_NoDup|apply NoDup_filter, seq_NoDup|].
  intros x Hc Ho. apply in_common in Hc. apply in_only in Ho. destruct Hc as [_ [_ H1]].
  destruct Ho as [_ [_ H2]]. congruence.
Qed.

Lemma zr_list_slots m l th th' q :
  l0 m th <= INR q -> INR q = INR m - INR l ->
  slots_ok m l (fun j => nth j (zr_common m th th' ++ zr_only m th th') 0%nat) th.
Proof.
  intros H0 Hq. pose proof (zr_list_length m th th' q l H0 Hq) as Hlen. split.
  - intros j Hj. assert (Hin : In (nth j (zr_common m th th' ++ zr_only m th th') 0%nat)
                                  (zr_common m th th' ++ zr_only m th th'))
      by (apply nth_In; lia).
    apply in_app_iff in Hin. destruct Hin as [Hin|Hin].
    + apply in_common in Hin. destruct Hin as [Hm [Hz _]]. split; [exact Hm|].
      apply isz_zero, Hz.
    + apply in_only in Hin. destruct Hin as [Hm [Hz _]]. split; [exact Hm|].
      apply isz_zero, Hz.
  - intros j j' Hj Hj' E. apply (proj1 (NoDup_nth _ 0%nat) (zr_list_nodup m th th'));
      [lia|lia|exact E].
Qed.

Lemma zr_slotsA_ok m l thAh thBh q :
  l0 m thAh <= INR q -> INR q = INR m - INR l -> slots_ok m l (zr_slotsA m thAh thBh) thAh.
Proof. apply zr_list_slots. Qed.

Lemma zr_common_swap m thAh thBh : zr_common m thBh thAh = zr_common m thAh thBh.
Proof.
  unfold zr_common. f_equal. extensionality i. apply andb_comm.
Qed.

Lemma zr_slotsB_ok m l thAh thBh q :
  l0 m thBh <= INR q -> INR q = INR m - INR l -> slots_ok m l (zr_slotsB m thAh thBh) thBh.
Proof.
  intros H0 Hq. unfold zr_slotsB. rewrite <- zr_common_swap.
  apply (zr_list_slots m l thBh thAh q); assumption.
Qed.

(** A slot used at both ends holds the same reference unit. *)
Lemma zr_agree m l thAh thBh q j j' :
  l0 m thAh <= INR q -> l0 m thBh <= INR q -> INR q = INR m - INR l ->
  (j < l)%nat -> (j' < l)%nat ->
  zr_slotsB m thAh thBh j = zr_slotsA m thAh thBh j' -> j = j'.
Proof.
  intros HA HB Hq Hj Hj'. unfold zr_slotsA, zr_slotsB.
  pose proof (zr_list_length m thAh thBh q l HA Hq) as LA.
  pose proof (zr_list_length m thBh thAh q l HB Hq) as LB.
  rewrite <- zr_common_swap in LB. rewrite !app_length in LA, LB.
  set (c := zr_common m thAh thBh) in *.
  assert (Hc : NoDup c) by apply NoDup_filter, seq_NoDup.
  destruct (Nat.lt_ge_cases j (length c)) as [Lj|Lj];
    destruct (Nat.lt_ge_cases j' (length c)) as [Lj'|Lj'].
  - rewrite !app_nth1 by assumption. intros E.
    apply (proj1 (NoDup_nth c 0%nat) Hc); assumption.
  - rewrite app_nth1 by assumption. rewrite app_nth2 by assumption. intros E.
    assert (H1 : In (nth j c 0%nat) c) by (apply nth_In; lia).
    assert (H2 : In (nth (j' - length c) (zr_only m thAh thBh) 0%nat) (zr_only m thAh thBh))
      by (apply nth_In; lia).
    rewrite <- E in H2. apply in_common in H1. apply in_only in H2. exfalso.
    destruct H1 as [_ [_ X1]]. destruct H2 as [_ [_ X2]]. congruence.
  - rewrite app_nth2 by assumption. rewrite app_nth1 by assumption. intros E.
    assert (H1 : In (nth j' c 0%nat) c) by (apply nth_In; lia).
    assert (H2 : In (nth (j - length c) (zr_only m thBh thAh) 0%nat) (zr_only m thBh thAh))
      by (apply nth_In; lia).
    rewrite E in H2. apply in_common in H1. apply in_only in H2. exfalso.
    destruct H1 as [_ [X1 _]]. destruct H2 as [_ [_ X2]]. congruence.
  - rewrite !app_nth2 by assumption. intros E.
    assert (H1 : In (nth (j - length c) (zr_only m thBh thAh) 0%nat) (zr_only m thBh thAh))
      by (apply nth_In; lia).
    assert (H2 : In (nth (j' - length c) (zr_only m thAh thBh) 0%nat) (zr_only m thAh thBh))
      by (apply nth_In; lia).
    rewrite E in H1. apply in_only in H1. apply in_only in H2. exfalso.
    destruct H1 as [_ [_ X1]]. destruct H2 as [_ [X2 _]]. congruence.
Qed.

(* ------------------------------------------------------------------ the path *)

Definition zr_path (m l : nat) (WA WB Wr : nat -> nat -> R) (thAh thBh thB thr : nat -> R)
  : list param :=
  let sA := zr_slotsA m thAh thBh in
  let sB := zr_slotsB m thAh thBh in
  let WA' := zr_W sA l Wr WA in
  let Wmid := zr_W sB l Wr WA' in
  let WB' := zr_W sB l Wr WB in
  [(WA, thAh); (WA', thAh); (WA', zr_th sA l thr); (Wmid, zr_th sA l thr);
   (Wmid, zr_th sB l thr); (WB', zr_th sB l thr); (WB', thBh); (WB, thBh); (WB, thB)].

Lemma below_cons G b P Q rest :
  below G b P [Q] -> below G b Q rest -> below G b P (Q :: rest).
Proof. intros H1 H2. apply (along_app _ P [Q] rest H1 H2). Qed.

Lemma zero_radius_path N d m X Y ell kappa lam eps q l WA WB Wr thA thB thAh thBh thr :
  convex_loss ell -> 0 < kappa -> 0 <= eps ->
  l0 m thAh <= INR q -> l0 m thBh <= INR q -> INR q = INR m - INR l ->
  Fobj N d m X Y ell kappa WA thA <= lam -> Fobj N d m X Y ell kappa WB thB <= lam ->
  Fobj N d m X Y ell kappa WA thAh <= eps + lam ->
  Fobj N d m X Y ell kappa WB thBh <= eps + lam ->
  below (Fp N d m X Y ell kappa) (Rmax (Fobj N d l X Y ell kappa Wr thr) (eps + lam))
    (WA, thA) (zr_path m l WA WB Wr thAh thBh thB thr).
Proof.
  intros HC Hk He HA0 HB0 Hq HFA HFB HdA HdB.
  set (el := Fobj N d l X Y ell kappa Wr thr).
  set (b := Rmax el (eps + lam)).
  assert (Hel : el <= b) by apply Rmax_l. assert (Hlam : eps + lam <= b) by apply Rmax_r.
  set (G := Fp N d m X Y ell kappa).
  set (sA := zr_slotsA m thAh thBh). set (sB := zr_slotsB m thAh thBh).
  pose proof (zr_slotsA_ok m l thAh thBh q HA0 Hq) as OA. fold sA in OA.
  pose proof (zr_slotsB_ok m l thAh thBh q HB0 Hq) as OB. fold sB in OB.
  destruct OA as [ZA IA] eqn:EA. destruct OB as [ZB IB] eqn:EB.
  assert (MA : forall j, (j < l)%nat -> (sA j < m)%nat) by (intros; apply ZA; assumption).
  assert (MB : forall j, (j < l)%nat -> (sB j < m)%nat) by (intros; apply ZB; assumption).
  set (WA' := zr_W sA l Wr WA). set (Wmid := zr_W sB l Wr WA'). set (WB' := zr_W sB l Wr WB).
  (* the rows of W_mid at both slot families are the reference's *)
  assert (MidB : forall j, (j < l)%nat -> Wmid (sB j) = Wr j)
    by (intros; apply zr_W_at; assumption).
  assert (MidA : forall j, (j < l)%nat -> Wmid (sA j) = Wr j).
  { intros j Hj. unfold Wmid. destruct (slot_dec sB l (sA j)) as [[j' [Hj' E]]|H].
    - assert (j' = j) by (apply (zr_agree m l thAh thBh q); assumption). subst j'.
      rewrite <- E. apply zr_W_at; assumption.
    - rewrite zr_W_off by exact H. apply zr_W_at; assumption. }
  assert (FRA : G (WA', zr_th sA l thr) = el)
    by (apply F_embed; [exact MA|exact IA|intros; apply zr_W_at; assumption]).
  assert (FMA : G (Wmid, zr_th sA l thr) = el) by (apply F_embed; assumption).
  assert (FMB : G (Wmid, zr_th sB l thr) = el) by (apply F_embed; assumption).
  assert (FRB : G (WB', zr_th sB l thr) = el)
    by (apply F_embed; [exact MB|exact IB|intros; apply zr_W_at; assumption]).
  assert (FreeA : forall i, (i < m)%nat -> thAh i = 0 \/ WA i = WA' i)
    by (apply embed_free; exact OA).
  assert (FreeB : forall i, (i < m)%nat -> thBh i = 0 \/ WB i = WB' i)
    by (apply embed_free; exact OB).
  assert (GA : G (WA, thAh) <= eps + lam) by exact HdA.
  assert (GB : G (WB, thBh) <= eps + lam) by exact HdB.
  assert (GA' : G (WA', thAh) = G (WA, thAh)).
  { rewrite <- (seg_1 (WA, thAh) (WA', thAh)). apply free_seg_F, FreeA. }
  assert (GB' : G (WB', thBh) = G (WB, thBh)).
  { rewrite <- (seg_1 (WB, thBh) (WB', thBh)). apply free_seg_F, FreeB. }
  unfold zr_path. fold sA sB. fold WA' Wmid WB'.
  (* 1. A → (W_A, θ̂_A): θ only *)
  apply below_cons; [apply theta_seg_below; auto; unfold G, Fp in *; simpl in *; lra|].
  (* 2. the reference's rows into A's free slots *)
  apply below_cons; [apply free_seg_below; [exact FreeA|fold G; lra]|].
  (* 3. θ̂_A → the reference on A's slots *)
  apply below_cons; [apply theta_seg_below; auto; fold G; lra|].
  (* 4. the reference's rows into B's slots: free under θ_r on A's slots *)
  apply below_cons.
  { apply free_seg_below; [|fold G; lra]. intros i Hi.
    destruct (slot_dec sA l i) as [[j [Hj <-]]|H].
    - right. rewrite MidA by exact Hj. apply zr_W_at; assumption.
    - left. apply zr_th_off, H. }
  (* 5. A's slots → B's slots, θ only *)
  apply below_cons; [apply theta_seg_below; auto; fold G; lra|].
  (* 6. rows off B's slots to W_B: free under θ_r on B's slots *)
  apply below_cons.
  { apply free_seg_below; [|fold G; lra]. intros i Hi.
    destruct (slot_dec sB l i) as [[j [Hj <-]]|H].
    - right. rewrite MidB by exact Hj. symmetry. apply zr_W_at; assumption.
    - left. apply zr_th_off, H. }
  (* 7. the reference on B's slots → θ̂_B, θ only *)
  apply below_cons; [apply theta_seg_below; auto; fold G; lra|].
  (* 8. rows of B's slots back to W_B (free under θ̂_B) *)
  apply below_cons.
  { apply free_seg_below; [|fold G; lra]. intros i Hi.
    destruct (FreeB i Hi) as [H|H]; [left; exact H|right; symmetry; exact H]. }
  (* 9. (W_B, θ̂_B) → B, θ only *)
  apply theta_seg_below; auto; unfold G, Fp in *; simpl in *; lra.
Qed.

Lemma zero_radius_ball d m l WA WB Wr thA thB thAh thBh thr q :
  l0 m thAh <= INR q -> l0 m thBh <= INR q -> INR q = INR m - INR l ->
  in_ball d m WA -> in_ball d m WB -> in_ball d l Wr ->
  along (ball_pt d m) (WA, thA) (zr_path m l WA WB Wr thAh thBh thB thr).
Proof.
  intros HA0 HB0 Hq HA HB Hr.
  pose proof (zr_slotsA_ok m l thAh thBh q HA0 Hq) as OA.
  pose proof (zr_slotsB_ok m l thAh thBh q HB0 Hq) as OB.
  assert (BA : in_ball d m (zr_W (zr_slotsA m thAh thBh) l Wr WA))
    by (eapply embed_ball; eassumption).
  assert (BM : in_ball d m (zr_W (zr_slotsB m thAh thBh) l Wr
                              (zr_W (zr_slotsA m thAh thBh) l Wr WA)))
    by (eapply embed_ball; eassumption).
  assert (BB : in_ball d m (zr_W (zr_slotsB m thAh thBh) l Wr WB))
    by (eapply embed_ball; eassumption).
  apply ball_path; [exact HA|]. unfold zr_path, ball_pt. simpl. tauto.
Qed.

Lemma zero_radius :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (kappa lam eps : R) (q l : nat) (WA WB Wr : nat -> nat -> R) (thA thB thAh thBh thr : nat -> R) (k : nat) (t : R),
    convex_loss ell ->
    0 < kappa ->
    0 <= eps ->
    l0 m thAh <= INR q ->
    l0 m thBh <= INR q ->
    in_ball d m WA ->
    in_ball d m WB ->
    in_ball d l Wr ->
    (k < length (zr_path m l WA WB Wr thAh thBh thB thr))%nat ->
    0 <= t <= 1 ->
    Fobj N d m X Y ell kappa WA thA <= lam ->
    Fobj N d m X Y ell kappa WB thB <= lam ->
    INR q = INR m - INR l ->
    Fobj N d m X Y ell kappa WA thAh <= eps + lam ->
    Fobj N d m X Y ell kappa WB thBh <= eps + lam ->
    Fp N d m X Y ell kappa (path_pt (WA, thA) (zr_path m l WA WB Wr thAh thBh thB thr) k t) <= Rmax (Fobj N d l X Y ell kappa Wr thr) (eps + lam) /\ (last (zr_path m l WA WB Wr thAh thBh thB thr) (WA, thA) = (WB, thB)) /\ (along (ball_pt d m) (WA, thA) (zr_path m l WA WB Wr thAh thBh thB thr)).
Proof.
  intros N d m X Y ell kappa lam eps q l WA WB Wr thA thB thAh thBh thr k t
         HC Hk He HA0 HB0 HA HB Hr Hlen Ht HFA HFB Hq HdA HdB.
  split; [|split].
  - apply (along_pt (fun p => Fp N d m X Y ell kappa p
                              <= Rmax (Fobj N d l X Y ell kappa Wr thr) (eps + lam)));
      [|exact Hlen|exact Ht].
    apply (zero_radius_path N d m X Y ell kappa lam eps q); assumption.
  - reflexivity.
  - apply (zero_radius_ball d m l WA WB Wr thA thB thAh thBh thr q); assumption.
Qed.
