(** Finite sums over [0, n) and their algebra: the only summation the development uses.
    [sum n f] = f 0 + ... + f (n-1). *)
Require Import Reals Lra Lia.
Open Scope R_scope.

Fixpoint sum (n : nat) (f : nat -> R) : R :=
  match n with
  | O => 0
  | S k => sum k f + f k
  end.

Lemma sum_ext n f g : (forall i, (i < n)%nat -> f i = g i) -> sum n f = sum n g.
Proof.
  induction n as [|n IH]; intros H; simpl; [reflexivity|].
  rewrite IH by (intros; apply H; lia). rewrite (H n) by lia. reflexivity.
Qed.

Lemma sum_le n f g : (forall i, (i < n)%nat -> f i <= g i) -> sum n f <= sum n g.
Proof.
  induction n as [|n IH]; intros H; simpl; [lra|].
  assert (sum n f <= sum n g) by (apply IH; intros; apply H; lia).
  assert (f n <= g n) by (apply H; lia). lra.
Qed.

Lemma sum_nonneg n f : (forall i, (i < n)%nat -> 0 <= f i) -> 0 <= sum n f.
Proof.
  intros H. replace 0 with (sum n (fun _ => 0)).
  - apply sum_le; assumption.
  - induction n; simpl; [reflexivity|]. rewrite IHn by (intros; apply H; lia). lra.
Qed.

Lemma sum_zero n : sum n (fun _ => 0) = 0.
Proof. induction n; simpl; [reflexivity|]. rewrite IHn. lra. Qed.

Lemma sum_plus n f g : sum n (fun i => f i + g i) = sum n f + sum n g.
Proof. induction n; simpl; [lra|]. rewrite IHn. lra. Qed.

Lemma sum_minus n f g : sum n (fun i => f i - g i) = sum n f - sum n g.
Proof. induction n; simpl; [lra|]. rewrite IHn. lra. Qed.

Lemma sum_scal_l n c f : sum n (fun i => c * f i) = c * sum n f.
Proof. induction n; simpl; [lra|]. rewrite IHn. lra. Qed.

Lemma sum_scal_r n c f : sum n (fun i => f i * c) = sum n f * c.
Proof. induction n; simpl; [lra|]. rewrite IHn. lra. Qed.

Lemma sum_const n c : sum n (fun _ => c) = INR n * c.
Proof. induction n; simpl sum; [simpl; lra|]. rewrite IHn, S_INR. lra. Qed.

Lemma sum_abs n f : Rabs (sum n f) <= sum n (fun i => Rabs (f i)).
Proof.
  induction n; simpl; [rewrite Rabs_R0; lra|].
  eapply Rle_trans; [apply Rabs_triang|]. lra.
Qed.

Lemma sum_swap n m f :
  sum n (fun i => sum m (fun j => f i j)) = sum m (fun j => sum n (fun i => f i j)).
Proof.
  induction n; simpl.
  - symmetry; apply sum_zero.
  - rewrite IHn, <- sum_plus. reflexivity.
Qed.

(** The sum of an indicator of one index [j < n] picks that index. *)
Lemma sum_point n j c :
  (j < n)%nat -> sum n (fun i => if Nat.eqb i j then c else 0) = c.
Proof.
  induction n as [|n IH]; intros Hj; [lia|]. simpl.
  destruct (Nat.eqb n j) eqn:E.
  - apply Nat.eqb_eq in E. subst j.
    rewrite (sum_ext _ _ (fun _ => 0)), sum_zero; [lra|].
    intros i Hi. destruct (Nat.eqb_spec i n); [lia|reflexivity].
  - apply Nat.eqb_neq in E. rewrite IH by lia. lra.
Qed.

(** Changing one value [j < n] of the summand changes the sum by the difference. *)
Lemma sum_update n f j v :
  (j < n)%nat -> sum n (fun i => if Nat.eqb i j then v else f i) = sum n f - f j + v.
Proof.
  intros Hj.
  rewrite (sum_ext _ _ (fun i => f i + (if Nat.eqb i j then v - f j else 0))).
  - rewrite sum_plus, sum_point by assumption. lra.
  - intros i _. destruct (Nat.eqb i j) eqn:E; [apply Nat.eqb_eq in E; subst|]; lra.
Qed.
